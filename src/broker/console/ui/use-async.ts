import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface AsyncState<T> {
  value: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again now. */
  reload: () => void;
}

/**
 * Runs `load` when `key` changes, and again every `everyMs` while the tab is
 * visible (live counts). A failed refresh keeps the last value and shows the
 * error beside it.
 */
export function useAsync<T>(load: () => Promise<T>, key: string, everyMs?: number): AsyncState<T> {
  const [state, setState] = useState<{ value?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const latest = useRef(load);
  latest.current = load;
  const generation = useRef(0);

  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    latest.current().then(
      (value) => {
        if (mine === generation.current) setState({ value, loading: false });
      },
      (error: unknown) => {
        if (mine === generation.current)
          setState((previous) => ({ value: previous.value, error, loading: false }));
      },
    );
  }, []);

  useEffect(() => {
    setState({ loading: true });
    run();
    if (everyMs === undefined) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") run();
    }, everyMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [key, everyMs]);

  return { value: state.value, error: state.error, loading: state.loading, reload: run };
}
