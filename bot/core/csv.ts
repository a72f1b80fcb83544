/* CSV as the exports and the question log write it: safe to open in a spreadsheet. */

/**
 * A leading apostrophe for text starting with =, +, -, @, tab or CR, so a spreadsheet shows it rather than
 * running it as a formula: coder names are typed by users and must be treated as untrusted.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV field per RFC 4180: neutralised, then quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvField(value: string): string {
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV of `rows` under `columns`' headers, CRLF after every record. */
export function csvTable<R>(
  columns: readonly { key: keyof R & string; header: string }[],
  rows: readonly R[],
): string {
  const lines = [
    columns.map((c) => csvField(c.header)),
    ...rows.map((row) => columns.map((c) => csvField(String(row[c.key] ?? '')))),
  ];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}
