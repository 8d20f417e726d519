import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { formatMeasure } from "../format.ts";

/**
 * One metric over time, drawn by uPlot (about 50 KB, canvas, fast with a
 * day of minutes). `times` are seconds since the epoch; a null value is a
 * gap. Its caption gives the latest value (and a counter's sum) in words,
 * for screen readers too.
 */
export function Chart(props: {
  /** The CloudWatch name, kept on the figure for tests and styles. */
  metric: string;
  title: string;
  unit: string;
  /** Counts events per minute: the caption also gives their sum over the range. */
  counter: boolean;
  times: number[];
  values: (number | null)[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    const element = box.current!;
    plot.current = new uPlot(
      {
        width: Math.max(260, element.clientWidth),
        height: 160,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          { stroke: "#333", grid: { stroke: "#e4e4e4" } },
          {
            stroke: "#333",
            grid: { stroke: "#e4e4e4" },
            font: AXIS_FONT,
            gap: AXIS_GAP,
            ticks: { size: TICK_SIZE },
            size: (_u, labels) => valueAxisWidth(labels ?? []),
          },
        ],
        series: [
          {},
          {
            label: props.title,
            stroke: SERIES_COLOR,
            width: 2,
            fill: "rgba(11,92,173,0.08)",
            // A line needs two neighbouring values, so a lone minute (a queue
            // made a minute ago, one send) would draw nothing: mark it as a dot.
            points: {
              size: 6,
              fill: SERIES_COLOR,
              filter: (u, seriesIdx, show) => (show ? null : lonePoints(u.data[seriesIdx]!)),
            },
          },
        ],
      },
      [props.times, props.values],
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(260, element.clientWidth), height: 160 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([props.times, props.values]);
  }, [props.times, props.values]);

  const latest = [...props.values].reverse().find((value) => value !== null);
  const total = props.values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
  return (
    <figure class="chart" data-metric={props.metric}>
      <figcaption>
        <strong>{props.title}</strong>{" "}
        <span class="chart-stat">
          latest {latest === undefined ? "–" : formatMeasure(latest)} {props.unit}
          {props.counter ? `, sum ${formatMeasure(total)}` : ""}
        </span>
      </figcaption>
      <div ref={box} class="chart-canvas" role="img" aria-label={`${props.title} per minute`} />
    </figure>
  );
}

const SERIES_COLOR = "#0b5cad";
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const AXIS_GAP = 5;
const TICK_SIZE = 10;

/**
 * The value axis as wide as its widest label: a fixed width cut
 * "100,000" to "0,000". uPlot asks again whenever the labels change.
 */
function valueAxisWidth(labels: string[]): number {
  const longest = labels.reduce(
    (widest, label) => (label.length > widest.length ? label : widest),
    "",
  );
  measurer ??= document.createElement("canvas").getContext("2d") ?? undefined;
  if (measurer === undefined) return 50;
  measurer.font = AXIS_FONT;
  return Math.ceil(TICK_SIZE + AXIS_GAP + measurer.measureText(longest).width + 4);
}
let measurer: CanvasRenderingContext2D | undefined;

/** Indices of the values with no value on either side; null when there are none. */
function lonePoints(values: ArrayLike<number | null | undefined>): number[] | null {
  const lone: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) continue;
    if ((i === 0 || values[i - 1] == null) && (i === values.length - 1 || values[i + 1] == null)) {
      lone.push(i);
    }
  }
  return lone.length === 0 ? null : lone;
}
