/**
 * Activity exported as JSON or CSV, saved as a real download (a Blob link clicked). CSV cells
 * that a spreadsheet would run as a formula (=, +, -, @) are prefixed with a quote.
 * @module
 */
import type { ActivityView as Entry } from '../../src/protocol/extension-rpc.js';

export const CSV_COLUMNS = ['at', 'origin', 'kind', 'sessionId', 'requestType', 'requestId', 'summary', 'policy', 'by'] as const;

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let text = String(v);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function activityCsv(entries: readonly Entry[]): string {
  const rows = entries.map((e) => CSV_COLUMNS.map((c) => cell(c === 'at' ? new Date(e.at).toISOString() : e[c])).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

export const activityJson = (entries: readonly Entry[]): string => JSON.stringify(entries, null, 2);

/** Saves `text` as a file through the browser's download. */
export function download(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
