/**
 * A hostile page for the parse limits: 100,000 one-cell rows in one table (1.8 MB, under the 2 MB
 * size limit). The HTML reader (html-to-text) builds the whole tree and lays the table out: about
 * 23 s and over 100 MB of heap on the machines this was measured on, so any time limit under 10 s
 * and a 64 MB worker are reached on any machine.
 */
export function makeSlowTablePage(rows = 100_000): Buffer {
  return Buffer.from(`<html><body><table>${'<tr><td>x</td></tr>'.repeat(rows)}</table></body></html>`);
}
