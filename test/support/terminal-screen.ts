/* eslint-disable no-control-regex -- reading escape sequences is the point */
/**
 * A fake terminal for the CLI's output: a stream that says it is a TTY of
 * `columns` characters and keeps what is written, and the screen those bytes
 * leave, replayed the way a terminal does for the codes progress bars use.
 */
export interface FakeTerminal {
  readonly isTTY: true;
  readonly columns: number;
  write(text: string): boolean;
  /** Everything written so far. */
  bytes(): string;
  /** The rows on screen, trailing spaces trimmed. */
  screen(): string[];
}

export function fakeTerminal(columns = 120): FakeTerminal {
  let written = "";
  return {
    isTTY: true,
    columns,
    write(text) {
      written += text;
      return true;
    },
    bytes: () => written,
    screen: () => replay(written, columns),
  };
}

/**
 * `\r`, `\n` (as a terminal's output processing does, `\r\n`), ESC[K and
 * ESC[0K (clear to the end of the row), ESC[2K (clear the row), ESC[nG (go
 * to column n), ESC 7 / ESC 8 (save / restore the cursor), ESC[?7l / ESC[?7h
 * (line wrap off / on), and wrapping onto the next row at the width.
 * Any other escape sequence fails, so a test never reads a screen this
 * model got wrong.
 */
export function replay(bytes: string, columns: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let column = 0;
  let saved = { row: 0, column: 0 };
  let wrap = true;
  const rowAt = (index: number) => {
    while (rows.length <= index) rows.push([]);
    return rows[index]!;
  };
  const chars = [...bytes];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === "\x1b") {
      const rest = chars.slice(i, i + 12).join("");
      const code = /^\x1b(7|8|\[\?7[lh]|\[(\d*)G|\[([02]?)K)/.exec(rest);
      if (code === null) throw new Error(`escape sequence not modelled: ${JSON.stringify(rest)}`);
      const [whole, kind, toColumn, clear] = code;
      if (kind === "7") saved = { row, column };
      else if (kind === "8") ({ row, column } = saved);
      else if (kind === "[?7l") wrap = false;
      else if (kind === "[?7h") wrap = true;
      else if (kind!.endsWith("G")) column = Math.max(Number(toColumn || 1) - 1, 0);
      else if (clear === "2") rows[row] = [];
      else rowAt(row).splice(column);
      i += [...whole].length - 1;
    } else if (char === "\r") {
      column = 0;
    } else if (char === "\n") {
      row++;
      column = 0;
      rowAt(row);
    } else {
      if (column >= columns) {
        if (wrap) {
          row++;
          column = 0;
        } else {
          column = columns - 1;
        }
      }
      const cells = rowAt(row);
      while (cells.length < column) cells.push(" ");
      cells[column] = char;
      column++;
    }
  }
  const screen = rows.map((cells) => cells.join("").trimEnd());
  while (screen.at(-1) === "") screen.pop();
  return screen;
}
