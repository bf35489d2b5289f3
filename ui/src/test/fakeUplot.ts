/**
 * uPlot draws on a canvas, which jsdom does not have: every test gets this stand-in instead
 * (see setup.ts). It keeps what each chart was given, for the tests that check it.
 */
export const plots: { series: { label?: string }[]; data: number[][] }[] = [];

export default class FakePlot {
  static paths = { bars: () => () => null };
  constructor(opts: { series: { label?: string }[] }, data: number[][]) {
    plots.push({ series: opts.series, data });
  }
  setSize() {}
  destroy() {}
}
