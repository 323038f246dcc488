import { Resvg } from '@resvg/resvg-js';

export interface Bar {
  readonly label: string;
  readonly value: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A horizontal bar chart as PNG bytes (SVG drawn here, rasterised by resvg with the system's fonts). */
export function renderBarChartPng(title: string, unit: string, bars: readonly Bar[]): Buffer {
  const width = 900;
  const rowHeight = 46;
  const left = 300;
  const right = 150;
  const top = 60;
  const height = top + bars.length * rowHeight + 30;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const palette = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2'];
  const rows = bars
    .map((bar, i) => {
      const y = top + i * rowHeight;
      const w = ((width - left - right) * bar.value) / max;
      const value = `${Math.round(bar.value).toLocaleString('en-US')} ${unit}`;
      return (
        `<text x="${left - 12}" y="${y + 26}" text-anchor="end" font-size="16">${escapeXml(bar.label)}</text>` +
        `<rect x="${left}" y="${y + 8}" width="${w.toFixed(1)}" height="28" fill="${palette[i % palette.length]}"/>` +
        `<text x="${left + w + 8}" y="${y + 27}" font-size="15">${escapeXml(value)}</text>`
      );
    })
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="${width / 2}" y="34" text-anchor="middle" font-size="20" font-weight="bold">${escapeXml(title)}</text>` +
    rows +
    '</svg>';
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
}
