/**
 * The weekly report's picture: monthly self-service spend per product, stacked, over twelve
 * months, with the number of purchasers as a line. Apache ECharts draws it as SVG on the server
 * (no browser, no canvas), resvg turns the SVG into a PNG.
 *
 * Deterministic: fixed size, no animation, the class names ECharts numbers per instance renamed
 * in order of appearance, and a font shipped in node_modules (Roboto, SIL Open Font License)
 * with system fonts off, so the same data gives the same SVG and the same picture on any machine
 * (docs/decisions/charts-and-spend-history.md).
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 500;
const FONT_FAMILY = 'Roboto';
/** Sixteen distinguishable colours: ECharts' nine would repeat across a tenant's products. */
const PALETTE = [
  '#5470c6',
  '#91cc75',
  '#fac858',
  '#ee6666',
  '#73c0de',
  '#3ba272',
  '#fc8452',
  '#9a60b4',
  '#ea7ccc',
  '#2f4554',
  '#c23531',
  '#61a0a8',
  '#d48265',
  '#749f83',
  '#ca8622',
  '#bda29a',
];
const FONT_FILE = createRequire(import.meta.url).resolve('@expo-google-fonts/roboto/400Regular/Roboto_400Regular.ttf');

export interface SpendChartData {
  title: string;
  /** The x axis: one label per month. */
  months: string[];
  /** One stacked series per product: the monthly spend at each month's end, in major units (for the axis only). */
  products: Array<{ name: string; values: number[] }>;
  /** People with an active self-service subscription at each month's end. */
  purchasers: number[];
  /** The y axis's name, e.g. "USD per month". */
  unit: string;
}

/**
 * Class names and clip-path ids as ECharts numbers them (zr<instance>-cls-<n>, zr<instance>-c<n>)
 * differ from one chart to the next in a process: rename them in order of appearance.
 */
function stableNames(svg: string): string {
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-[a-z]+-?\d+/g, (name) => {
    if (!names.has(name)) names.set(name, `n${names.size}`);
    return names.get(name)!;
  });
}

export function renderSpendChartSvg(data: SpendChartData): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      color: PALETTE,
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: data.title, left: 'center', top: 10, textStyle: { fontFamily: FONT_FAMILY, fontSize: 18, fontWeight: 'normal' } },
      legend: { bottom: 10, type: 'plain', textStyle: { fontFamily: FONT_FAMILY } },
      grid: { left: 80, right: 70, top: 60, bottom: 90 },
      xAxis: { type: 'category', data: data.months, axisLabel: { fontFamily: FONT_FAMILY } },
      yAxis: [
        { type: 'value', name: data.unit, nameTextStyle: { fontFamily: FONT_FAMILY }, axisLabel: { fontFamily: FONT_FAMILY } },
        {
          type: 'value',
          name: 'Purchasers',
          minInterval: 1,
          splitLine: { show: false },
          nameTextStyle: { fontFamily: FONT_FAMILY },
          axisLabel: { fontFamily: FONT_FAMILY },
        },
      ],
      series: [
        ...data.products.map((product) => ({ name: product.name, type: 'bar', stack: 'spend', data: product.values })),
        {
          name: 'Purchasers',
          type: 'line',
          yAxisIndex: 1,
          data: data.purchasers,
          symbolSize: 6,
          itemStyle: { color: '#000000' },
          lineStyle: { color: '#000000', width: 2 },
        },
      ],
    });
    return stableNames(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

/** The chart as a PNG, and the SVG it was made from. */
export function renderSpendChart(data: SpendChartData): { svg: string; png: Buffer } {
  const svg = renderSpendChartSvg(data);
  return { svg, png: svgToPng(svg) };
}
