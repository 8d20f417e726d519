import { render } from "preact";
import { App } from "./app.tsx";
// uPlot's few rules are here, so the charts' script can load only when a chart is shown.
import "uplot/dist/uPlot.min.css";
import "./styles.css";

render(<App />, document.getElementById("app")!);
