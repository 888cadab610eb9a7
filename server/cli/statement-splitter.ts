/**
 * Splits text into statements at `;` outside quotes ('...', "...", `...`, a doubled quote
 * staying inside) and comments (`-- ...` to the end of the line, `/* ... *\/`), as the CLI
 * sends statements to the node one at a time. Blank statements are dropped.
 */
export function splitStatements(text: string): string[] {
  return scan(text).statements;
}

/** True when `text` ends inside a quote or a block comment: the statement goes on on the next line. */
export function isUnterminated(text: string): boolean {
  return scan(text).open;
}

function scan(text: string): { statements: string[]; open: boolean } {
  const out: string[] = [];
  let start = 0;
  let quote: string | null = null;
  let open = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote) {
        if (text[i + 1] === quote) i++;
        else quote = null;
      }
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) open = true;
      i = end < 0 ? text.length : end + 1;
    } else if (c === ';') {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return { statements: out.map((s) => s.trim()).filter((s) => s.length > 0), open: open || quote !== null };
}
