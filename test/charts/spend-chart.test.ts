import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, renderSpendChart, renderSpendChartSvg, type SpendChartData } from '../../src/charts/spend-chart.js';

const data: SpendChartData = {
  title: 'Self-service spend per month in USD, by product',
  months: ['Jan 2026', 'Feb 2026', 'Mar 2026', 'Apr 2026', 'May 2026', 'Jun 2026', 'Jul 2026', 'Aug 2026', 'Sep 2026', 'Oct 2026', 'Nov 2026', 'Dec 2026'],
  products: [
    { name: 'Power BI Pro', values: [140, 140, 168, 168, 196, 196, 196, 224, 224, 252, 252, 280] },
    { name: 'Visio Plan 2', values: [0, 0, 0, 15, 15, 30, 30, 30, 45, 45, 45, 45] },
  ],
  purchasers: [3, 3, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11],
  unit: 'USD per month',
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk (the first, right after the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the spend chart', () => {
  it('is a PNG of the stated size', () => {
    const { png } = renderSpendChart(data);
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(png.subarray(-8, -4).toString('ascii')).toBe('IEND');
  });

  it('draws the same SVG from the same data, however many charts were drawn before (golden hash)', () => {
    const first = renderSpendChartSvg(data);
    renderSpendChartSvg({ ...data, title: 'another chart in between' });
    expect(renderSpendChartSvg(data)).toBe(first);
    expect(sha256(first)).toBe('d57fede0700e0b287d76c87e7649f357733e48c0a9f3d2e77c7cd785e7f26178');
  });

  it('names every product, the purchasers and the title in the picture, in the shipped font', () => {
    const svg = renderSpendChartSvg(data);
    for (const text of ['Power BI Pro', 'Visio Plan 2', 'Purchasers', 'Jan 2026', data.title]) expect(svg).toContain(text);
    expect(svg).toContain('Roboto');
    expect(svg).not.toMatch(/zr\d+-/);
  });

  it('draws another picture for other data', () => {
    const other = { ...data, purchasers: data.purchasers.map((n) => n + 1) };
    expect(renderSpendChartSvg(other)).not.toBe(renderSpendChartSvg(data));
  });
});
