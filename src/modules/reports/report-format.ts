/**
 * What the report renderers (executive, drift, healing) share: escaping for each format and the frame of an HTML
 * report. Every piece of data is escaped for its format: agent, contract and rule names and failure reasons come
 * from clients and endpoints and may contain markup, pipes, quotes or spreadsheet formulas.
 */
import { createHash } from 'node:crypto';

/** Markdown table cell: no pipe, newline or HTML may break out of the cell or render as markup. */
export function mdCell(value: unknown): string {
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_`[\]])/g, '\\$1');
}

/**
 * RFC 4180 field. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with an
 * apostrophe (OWASP CSV injection); numbers are written as numbers.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 document: one line per row, CRLF after each, a header row first if the caller puts one there. */
export function csvDocument(rows: readonly (readonly unknown[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const HTML_STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde2ea;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eef1f5}
th{background:#f5f7fa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.band{display:inline-block;padding:0 .5rem;border-radius:.7rem;font-size:.85em}
.excellent{background:#dcf5e3;color:#135c2b}.good{background:#e5f0ff;color:#17457d}.fair{background:#fff3d6;color:#7a5300}
.critical{background:#fde2e1;color:#8c1d18}.no_data,.not_configured,.none{background:#eef1f5;color:#4a5568}
.meta{color:#5a6475}li{margin:.3rem 0}.sev{font-weight:600;text-transform:uppercase;font-size:.75em;margin-right:.4rem}
`;

/** CSP for the HTML report: nothing may load; only this exact inline stylesheet applies. */
export const HTML_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(HTML_STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/**
 * A self-contained HTML report: the shared stylesheet (so the one Content-Security-Policy hash applies to every
 * report), a title naming the window, and `meta` (the window line) and `body`, which the caller has escaped.
 */
export function htmlDocument(page: { title: string; window: string; meta: string }, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} (${escapeHtml(page.window)})</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
<p class="meta">${page.meta}</p>
${body}
</body>
</html>
`;
}
