// Foreground colours that read on dark and light terminals; red is kept for the CLI's own errors.
const PALETTE = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];

/**
 * The name in front of every line of the merged log, padded so the lines align:
 * `deploy#2    │ `. Coloured (by position in the app list) only for a terminal.
 */
export function logLabel(name: string, width: number, colorIndex: number | null): string {
  const padded = name.padEnd(width);
  const text = colorIndex === null ? padded : `\u001b[${PALETTE[colorIndex % PALETTE.length]}m${padded}\u001b[39m`;
  return `${text} │ `;
}
