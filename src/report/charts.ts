/**
 * The report's two charts as inline SVG strings: stacked bars (files per month) and a world map
 * with dots (geotagged places). Hand-made because the report must open with no network and no
 * chart library is installed; each is a few dozen lines. Colours come from the page's CSS
 * (classes `series-N`, `land`, `place`, ...), so the charts follow its light and dark themes.
 */

/** Text for HTML and SVG alike, in element content or a quoted attribute. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    // control characters are not allowed in HTML text; show them as their Unicode pictures (␀ ␁ …)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

/** SVG coordinates with one decimal: smaller files, no visible difference. */
const r1 = (n: number) => String(Math.round(n * 10) / 10);

/** Gridline spacing for counts up to `max`: 1, 2 or 5 times a power of ten, at most ~`ticks` lines. */
export function niceStep(max: number, ticks = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  return Math.max(1, step);
}

export interface StackedBar {
  /** Stable key, written as `data-key` (a month: `2021-06`). */
  key: string;
  /** Under the bar when there is room (`Jun`). */
  label: string;
  /** Written under the first bar of each group (the year). */
  group: string;
  /** One value per series, stacked bottom-up. */
  values: number[];
  /** Tooltip. */
  title: string;
  /** A break in the sequence before this bar (a month without files): drawn as extra space. */
  gapBefore?: boolean;
}

export interface BarOptions {
  /** Accessible name of the chart. */
  label: string;
  width?: number;
  height?: number;
  className?: string;
}

/** Stacked vertical bars with a count axis. Empty input gives an empty string. */
export function stackedBars(bars: StackedBar[], opts: BarOptions): string {
  if (bars.length === 0) return '';
  const W = opts.width ?? 960;
  const H = opts.height ?? 280;
  const gaps = bars.filter((b, i) => i > 0 && b.gapBefore).length;
  const [left, right, top] = [44, 8, 20];
  const plotW = W - left - right;
  const unit = Math.min(64, plotW / (bars.length + 0.6 * gaps));
  const perBarLabels = unit >= 26;
  const bottom = perBarLabels ? 40 : 24;
  const plotH = H - top - bottom;
  const totals = bars.map((b) => b.values.reduce((a, v) => a + v, 0));
  const step = niceStep(Math.max(...totals));
  const yMax = Math.max(step, Math.ceil(Math.max(...totals) / step) * step);
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const base = top + plotH;

  const out: string[] = [
    `<svg class="${esc(opts.className ?? 'bars')}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.label)}" xmlns="http://www.w3.org/2000/svg">`,
  ];
  for (let v = 0; v <= yMax; v += step) {
    out.push(`<line class="grid${v === 0 ? ' axis' : ''}" x1="${left}" x2="${W - right}" y1="${r1(y(v))}" y2="${r1(y(v))}"/>`);
    out.push(`<text class="tick" x="${left - 6}" y="${r1(y(v) + 4)}" text-anchor="end">${v.toLocaleString('en-US')}</text>`);
  }
  let x = left + (plotW - unit * (bars.length + 0.6 * gaps)) / 2;
  let lastGroupX = -Infinity;
  const barW = Math.max(1, unit * 0.76);
  bars.forEach((bar, i) => {
    if (i > 0 && bar.gapBefore) x += unit * 0.6;
    const bx = x + (unit - barW) / 2;
    const rects: string[] = [];
    let acc = 0;
    bar.values.forEach((v, s) => {
      if (v <= 0) return;
      rects.push(`<rect class="series-${s}" x="${r1(bx)}" y="${r1(y(acc + v))}" width="${r1(barW)}" height="${r1(y(acc) - y(acc + v))}"/>`);
      acc += v;
    });
    if (unit >= 18) rects.push(`<text class="value" x="${r1(x + unit / 2)}" y="${r1(y(acc) - 4)}" text-anchor="middle">${acc.toLocaleString('en-US')}</text>`);
    if (perBarLabels) rects.push(`<text class="tick" x="${r1(x + unit / 2)}" y="${base + 14}" text-anchor="middle">${esc(bar.label)}</text>`);
    const newGroup = i === 0 || bar.group !== bars[i - 1]!.group;
    if (newGroup && x - lastGroupX >= 34) {
      const gy = perBarLabels ? base + 31 : base + 16;
      rects.push(`<line class="grid" x1="${r1(x)}" x2="${r1(x)}" y1="${base}" y2="${gy - 10}"/>`);
      rects.push(`<text class="group" x="${r1(x)}" y="${gy}">${esc(bar.group)}</text>`);
      lastGroupX = x;
    }
    out.push(`<g class="bar" data-key="${esc(bar.key)}" data-total="${acc}"><title>${esc(bar.title)}</title>${rects.join('')}</g>`);
    x += unit;
  });
  out.push('</svg>');
  return out.join('\n');
}

export interface MapPoint {
  lat: number;
  lon: number;
  /** Files at the point; the dot's area grows with it. */
  weight: number;
  title: string;
}

/** A part of the world in degrees. */
export interface Bounds {
  west: number;
  east: number;
  south: number;
  north: number;
}

export interface MapOptions {
  label: string;
  width?: number;
  /** The part to draw (see `mainRegion`); the whole world, 84°N to 60°S, when absent. */
  bounds?: Bounds;
  className?: string;
}

const GRID_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30];
const degrees = (v: number, step: number, pos: string, neg: string) =>
  `${Math.abs(v).toFixed(step < 1 ? 1 : 0)}°${v > 0 ? pos : v < 0 ? neg : ''}`;

/**
 * Dots over a coarse outline of the land, on an equirectangular grid: x is longitude (scaled by
 * the cosine of the middle latitude when zoomed in, so that shapes keep their proportions), y is
 * latitude. The world map reaches beyond 84°N or 60°S when a dot does.
 */
export function worldMap(points: MapPoint[], opts: MapOptions): string {
  const b = opts.bounds ?? {
    west: -180,
    east: 180,
    north: Math.max(84, ...points.map((p) => Math.ceil(p.lat))),
    south: Math.min(-60, ...points.map((p) => Math.floor(p.lat))),
  };
  const W = opts.width ?? 720;
  const c = opts.bounds ? Math.cos((((b.north + b.south) / 2) * Math.PI) / 180) : 1;
  const k = W / ((b.east - b.west) * c);
  const H = r1((b.north - b.south) * k);
  const px = (lon: number) => r1((lon - b.west) * k * c);
  const py = (lat: number) => r1((b.north - lat) * k);
  const out: string[] = [
    `<svg class="${esc(opts.className ?? 'map')}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.label)}" xmlns="http://www.w3.org/2000/svg">`,
    `<rect class="sea" x="0" y="0" width="${W}" height="${H}"/>`,
  ];
  const land = LAND.map((poly) => 'M' + poly.map(([lon, lat]) => `${px(lon)} ${py(lat)}`).join('L') + 'Z').join('');
  out.push(`<path class="land" d="${land}"/>`);
  const step = GRID_STEPS.find((s) => s >= (b.north - b.south) / 5) ?? 30;
  for (let lon = Math.ceil(b.west / step) * step; lon < b.east; lon += step) {
    if (lon === b.west) continue;
    out.push(`<line class="graticule" x1="${px(lon)}" x2="${px(lon)}" y1="0" y2="${H}"/>`);
    if (opts.bounds) out.push(`<text class="tick" x="${r1(Number(px(lon)) + 3)}" y="${r1(Number(H) - 4)}">${degrees(lon, step, 'E', 'W')}</text>`);
  }
  for (let lat = Math.ceil(b.south / step) * step; lat < b.north; lat += step) {
    if (lat === b.south) continue;
    out.push(`<line class="graticule${lat === 0 ? ' equator' : ''}" x1="0" x2="${W}" y1="${py(lat)}" y2="${py(lat)}"/>`);
    out.push(`<text class="tick" x="4" y="${r1(Number(py(lat)) - 3)}">${degrees(lat, step, 'N', 'S')}</text>`);
  }
  const inside = points.filter((p) => p.lon >= b.west && p.lon <= b.east && p.lat >= b.south && p.lat <= b.north);
  const most = Math.max(1, ...inside.map((p) => p.weight));
  // the biggest dots first, so that small ones stay visible on top of them
  for (const p of inside.sort((x, y) => y.weight - x.weight)) {
    const r = 2.5 + 9.5 * Math.sqrt(Math.max(0, p.weight) / most);
    out.push(
      `<circle class="place" cx="${px(p.lon)}" cy="${py(p.lat)}" r="${r1(r)}" data-lat="${p.lat}" data-lon="${p.lon}" data-files="${p.weight}"><title>${esc(p.title)}</title></circle>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

/**
 * Where most of the weight is: the smallest box around the heaviest points that together hold
 * `share` of it, padded and widened to a 2:1 map. Null when that box is most of the world
 * anyway (the world map shows it well), or there are no points.
 */
export function mainRegion(points: MapPoint[], share = 0.8): Bounds | null {
  const total = points.reduce((a, p) => a + p.weight, 0);
  if (total <= 0) return null;
  const heavy: MapPoint[] = [];
  let sum = 0;
  for (const p of [...points].sort((a, b) => b.weight - a.weight)) {
    if (sum >= share * total) break;
    heavy.push(p);
    sum += p.weight;
  }
  let west = Math.min(...heavy.map((p) => p.lon));
  let east = Math.max(...heavy.map((p) => p.lon));
  let south = Math.min(...heavy.map((p) => p.lat));
  let north = Math.max(...heavy.map((p) => p.lat));
  const pad = (span: number) => Math.max(span * 0.15, 0.25);
  [west, east] = [west - pad(east - west), east + pad(east - west)];
  [south, north] = [south - pad(north - south), north + pad(north - south)];
  // 2:1 on screen, where a degree of longitude is cos(latitude) of a degree of latitude
  const c = Math.cos((((north + south) / 2) * Math.PI) / 180);
  const lonSpan = Math.max(east - west, (2 * (north - south)) / c);
  const latSpan = (lonSpan * c) / 2;
  if (lonSpan > 120 || latSpan > 60) return null;
  const midLon = (west + east) / 2;
  const midLat = Math.min(90 - latSpan / 2, Math.max(-90 + latSpan / 2, (south + north) / 2));
  const shift = Math.min(180 - (midLon + lonSpan / 2), Math.max(-180 - (midLon - lonSpan / 2), 0));
  return { west: midLon + shift - lonSpan / 2, east: midLon + shift + lonSpan / 2, south: midLat - latSpan / 2, north: midLat + latSpan / 2 };
}

/**
 * A coarse outline of the continents and the larger islands, [lon, lat] in degrees, drawn by hand
 * from an atlas: enough to tell where a dot is, a few hundred points in all.
 */
const LAND: Array<Array<[number, number]>> = [
  // North America
  [[-168, 65.5], [-164, 68], [-156, 71.3], [-141, 69.7], [-130, 70], [-117, 68.8], [-108, 68], [-97, 68], [-94, 71], [-87, 68], [-82, 66.5], [-86, 63], [-92, 62], [-94, 59], [-92.5, 57], [-87, 55.5], [-82, 52.5], [-79.5, 55], [-77, 60], [-78, 62.5], [-72, 61.5], [-69, 59], [-64.5, 60], [-61.5, 56], [-57, 52], [-60, 50], [-66, 49.5], [-65, 47], [-61, 45.5], [-66, 44.5], [-70, 43.5], [-70, 41.5], [-74, 40.5], [-76, 37], [-75.5, 35.2], [-81, 31.5], [-80, 27], [-80.5, 25.2], [-82, 26.5], [-83, 29.5], [-86, 30.3], [-89.5, 30], [-90, 29], [-94, 29.6], [-97.2, 27.5], [-97.5, 22], [-95, 18.5], [-91, 19], [-90.5, 21], [-87, 21.5], [-88, 16], [-84, 15.5], [-83.5, 11], [-81.5, 9], [-79.5, 9.5], [-77.5, 8.5], [-78, 7.3], [-80, 7.3], [-83, 8.3], [-86, 11], [-87.5, 13], [-91.5, 14], [-94.5, 16], [-97, 15.8], [-101.5, 17.5], [-105.5, 20.5], [-105.5, 23], [-109, 25.6], [-111, 27.9], [-114.8, 31.7], [-113, 29], [-111.5, 26], [-110, 22.9], [-112, 24.5], [-115, 27.8], [-116.6, 31.8], [-117.2, 32.7], [-120.5, 34.5], [-122.5, 37.5], [-124.3, 40.5], [-124, 46.5], [-124.7, 48.4], [-123, 48.5], [-127.5, 50.5], [-130.5, 54], [-133.5, 57.5], [-137, 58.5], [-140, 59.8], [-146, 61], [-151, 59.5], [-154, 57.5], [-158, 56], [-162.5, 55], [-158, 58], [-162, 58.7], [-165, 60.5], [-165, 62.5], [-161, 64.3], [-166, 64.6]],
  // Greenland
  [[-73, 78], [-60, 82], [-40, 83.5], [-20, 82.5], [-18, 77], [-21, 72], [-24, 70], [-32, 68], [-40, 65], [-43, 60], [-48, 61], [-51, 64], [-54, 67], [-53, 70], [-56, 73], [-62, 76]],
  // Baffin Island
  [[-80, 73.5], [-71, 70.5], [-66, 67.5], [-62, 66.5], [-66, 63], [-72, 63.8], [-78, 64.5], [-74, 68], [-82, 69.5], [-90, 72.5]],
  // South America
  [[-77.5, 8.5], [-75.5, 10.8], [-71.5, 12.4], [-68, 10.5], [-62, 10.7], [-60, 8.5], [-57, 6], [-52, 5], [-50, 1.5], [-48.5, -1], [-44, -2.5], [-40, -2.8], [-35, -5.2], [-34.8, -7.5], [-35.5, -9.5], [-37.5, -12.5], [-39, -15], [-39.5, -19], [-41, -22], [-44, -23], [-48, -25.5], [-48.5, -28.5], [-51, -31], [-53.5, -34], [-55, -35], [-58, -34.5], [-57.5, -36.5], [-57.5, -38.2], [-62, -39], [-62.3, -40.5], [-65, -41], [-63.5, -42.5], [-65, -45], [-67.5, -46.5], [-65.8, -48], [-68.5, -50.5], [-68.5, -52.5], [-70, -53], [-74, -52], [-75.5, -48], [-74, -44], [-73.5, -40], [-73.5, -37], [-71.5, -32], [-71.5, -28], [-70.5, -23], [-70.3, -18.5], [-72, -17], [-76, -14], [-78, -10], [-79.5, -7.5], [-81.2, -5.5], [-80, -3], [-80.5, -0.5], [-80, 1], [-78.8, 2], [-77.5, 4], [-77.3, 7]],
  // Africa
  [[-5.9, 35.8], [0, 35.8], [3, 36.8], [10, 37.3], [11, 36.8], [10.2, 34], [11.5, 33.1], [15.2, 32.3], [19.5, 30.4], [20, 32], [24, 32], [29, 30.9], [32.3, 31.3], [32.5, 29.9], [35, 24], [37.3, 21], [38.5, 18], [39.7, 15.5], [42.5, 13], [43.3, 11.6], [44.5, 10.4], [51.2, 11.8], [51, 10.5], [49.5, 6], [47.5, 4], [45.5, 2], [42, -1], [40.2, -2.8], [39.2, -4.7], [39.5, -8], [40.5, -10.5], [40.6, -15], [37, -17.5], [35, -20], [35.5, -24], [32.8, -26], [32.4, -29], [30.5, -31.3], [27.5, -33.5], [25, -34], [20, -34.8], [18.4, -34], [18, -32], [15.3, -27], [14.5, -23], [11.8, -17.3], [12.2, -13.5], [13.5, -11], [12, -5.5], [9.5, -2], [9.5, 1], [9.8, 4], [8.5, 4.5], [5.5, 4.3], [4.4, 6.4], [1.5, 6.2], [-2, 4.8], [-4, 5.2], [-7.5, 4.4], [-11.5, 6.9], [-13.3, 8.8], [-15, 10.8], [-16.7, 12.5], [-17.5, 14.7], [-16.5, 16.5], [-16.2, 20], [-17, 21], [-16.5, 23.8], [-14.5, 26.2], [-13, 27.8], [-10, 29], [-9.7, 30.8], [-8.5, 33.3], [-6.8, 34]],
  // Europe and Asia
  [[-9, 43], [-9.5, 39], [-8.9, 37], [-6.3, 36.8], [-5.6, 36], [-2, 36.7], [0, 38.8], [0.9, 41], [3.2, 42], [3.3, 43.3], [6, 43.1], [7.5, 43.8], [9, 44.3], [10.3, 43.5], [12.2, 41.8], [14.1, 40.8], [15.6, 40.1], [15.7, 38], [17, 38.9], [17.2, 40.5], [18.5, 40.2], [16.9, 41.2], [15, 42], [14, 42.6], [12.4, 44.3], [12.3, 45.4], [13.7, 45.7], [15, 45], [17, 43.2], [19.4, 41.9], [19.4, 40.3], [21, 38.8], [21.7, 36.8], [23, 36.5], [23.8, 38], [22.8, 39.5], [24, 40.8], [26, 40.8], [26.2, 39.5], [27.3, 37], [28.5, 36.7], [30.5, 36.3], [32.5, 36.1], [36, 36.8], [35.9, 35.5], [35, 33], [34.2, 31.3], [34.9, 29.5], [36.6, 26], [39, 21.5], [40.7, 18], [42.7, 15], [43.3, 12.7], [45, 12.8], [48.7, 14], [52.2, 15.6], [55.4, 17.8], [57.8, 19], [59.8, 22.5], [58.5, 23.6], [56.4, 26.2], [54, 24.2], [51.6, 24.5], [51.5, 26], [50.2, 26.5], [48.5, 28.5], [48, 30], [50, 30.2], [51.5, 27.9], [54.5, 26.6], [56.5, 27.1], [57.3, 25.8], [61.5, 25.1], [66.5, 25.4], [67.5, 23.8], [68.8, 22.3], [70.5, 20.8], [72.8, 21.2], [72.8, 19], [73.5, 16], [74.8, 12.8], [76.5, 8.5], [77.5, 8], [78.2, 8.9], [79.9, 10.3], [80.3, 13.5], [80.2, 15.8], [82.3, 16.6], [84.9, 19.3], [87, 21.5], [88.5, 21.7], [90, 22], [91.8, 22.4], [92.3, 20.7], [94.2, 18], [94.3, 16], [97.6, 16.5], [98.2, 13], [98.5, 10], [98.3, 8], [100.3, 5.2], [101.3, 2.9], [103.5, 1.3], [104.2, 1.5], [103.4, 4.3], [102.2, 6.2], [100.5, 7.5], [100, 9.3], [99.2, 10.5], [100, 12.5], [100.9, 13.5], [102, 12.2], [103, 11], [104.8, 8.6], [106.5, 9.5], [107.5, 10.5], [109.2, 11.7], [109.3, 13.5], [108.8, 15.5], [106.5, 17.8], [105.7, 19], [106.8, 20.8], [108, 21.5], [110.4, 21], [111.8, 21.6], [114.2, 22.3], [117, 23.2], [119.5, 25.6], [120.5, 27.3], [122, 29.9], [121.3, 31], [121.9, 31.6], [120.8, 32.6], [119.3, 34.5], [120.4, 36.1], [122.5, 37.3], [120.8, 37.8], [118.9, 37.4], [117.9, 38.5], [117.6, 39.2], [119.5, 39.9], [121.5, 40.9], [121.8, 39], [124.3, 39.9], [125.4, 37.8], [126.7, 37.4], [126.3, 34.5], [127.5, 34.6], [129.3, 35.4], [129.5, 36.8], [128.4, 38.6], [127.5, 39.8], [129.7, 40.9], [129.7, 42.4], [131.9, 43], [133.2, 42.8], [135.5, 43.9], [138.2, 46.5], [140.4, 48.5], [140.5, 51.2], [141.4, 52.8], [139.8, 54.2], [137.2, 54], [135.2, 54.7], [137.7, 56.4], [142.2, 59], [145.6, 59.4], [148.5, 59.3], [151.3, 58.8], [154.2, 59.6], [156.7, 61.5], [160, 61.6], [156.7, 57.5], [156.7, 51], [160, 54], [163, 56.5], [162.5, 58], [164, 59.8], [170, 60], [173, 61.7], [178, 62.5], [180, 65], [180, 69], [176, 69.8], [170, 70], [161, 69.6], [152, 70.8], [145, 72.2], [138, 71.5], [130, 71], [128, 72.8], [123, 73.7], [113, 73.7], [110, 76.7], [104, 77.7], [98, 76], [89, 75.5], [80, 73.5], [80.5, 72], [75, 72.8], [72.5, 72.8], [70, 73.2], [68.5, 71.5], [66.8, 70.7], [67, 69.5], [60, 69], [58, 68.5], [54, 68.2], [46, 67.7], [44, 68.5], [41, 66.2], [40, 64.5], [36.5, 64.9], [34.5, 66.6], [38, 66.1], [41, 67.5], [40, 68.6], [33, 69.4], [28, 70.9], [24, 71], [19, 70], [15, 68.5], [12.5, 66], [10, 63.5], [5.5, 62], [5, 60], [5.5, 58.7], [7, 58], [8.5, 58.2], [10.7, 59.5], [11.2, 58.5], [12.5, 56.5], [12.8, 55.5], [14, 55.4], [16, 56.2], [16.5, 57.5], [18.8, 59.5], [17.5, 60.7], [17.5, 62.5], [20.5, 63.7], [22.3, 65.8], [25.3, 65], [25, 64], [21.5, 62.9], [21.5, 60.7], [23, 59.9], [26, 60.4], [29.5, 60.2], [28, 59.4], [23.5, 59.2], [24, 58.3], [21.5, 57.3], [21, 56], [19.5, 54.4], [18.5, 54.7], [14, 53.9], [12, 54.2], [10.8, 56.2], [10.6, 57.7], [8.5, 57], [8.1, 55.5], [8.7, 53.9], [7, 53.5], [5, 53.3], [4.2, 52], [3.3, 51.3], [1.6, 50.9], [1.3, 50.1], [0, 49.6], [-1.3, 49.6], [-1.6, 48.6], [-4.7, 48.5], [-2.5, 47.3], [-1.2, 46], [-1.5, 43.5], [-3, 43.4], [-8, 43.7]],
  // Great Britain, Ireland, Iceland
  [[-5.7, 50], [-3, 50.6], [1.4, 51.2], [1.7, 52.7], [0.2, 53.5], [-0.5, 54.5], [-1.6, 55.6], [-2, 57.7], [-3.3, 58.6], [-5, 58.6], [-6.2, 57.5], [-5.6, 55.3], [-3, 54.9], [-3.2, 53.8], [-4.7, 53.3], [-4.2, 52.3], [-5.2, 51.7], [-3, 51.4]],
  [[-6, 52], [-6.2, 53.8], [-5.6, 54.6], [-7.3, 55.3], [-8.3, 55.1], [-10, 54.2], [-9.9, 53.1], [-10.3, 51.8], [-8.5, 51.6]],
  [[-22.5, 64], [-24, 65.5], [-22.5, 66.4], [-18, 66.2], [-14.5, 66.3], [-13.5, 65.1], [-15, 64.3], [-18.5, 63.4]],
  // Japan, Taiwan, Sri Lanka, the Philippines
  [[130, 31.3], [131.5, 31.5], [132, 33.9], [135, 33.5], [136.8, 34.3], [139, 34.7], [140.8, 35.7], [141, 38.3], [142, 39.6], [141.4, 41.4], [143.2, 42], [145.5, 43.3], [144, 44.1], [141.9, 45.5], [141.5, 43.3], [140, 42.5], [139.9, 40.5], [140, 39], [138.5, 38], [137.3, 36.8], [136.7, 37.3], [135.5, 35.5], [133, 35.5], [131, 34.4], [129.7, 33.2]],
  [[120.1, 23], [121.5, 25.3], [121.9, 24.5], [120.8, 21.9]],
  [[79.8, 6], [81.8, 7.2], [80.2, 9.8]],
  [[120, 16], [120.6, 18.5], [122.2, 18.5], [122.1, 16.2], [124, 13], [121.7, 13.9], [120.6, 14.4]],
  [[122, 7], [125.4, 9.8], [126.6, 7.3], [125.4, 5.6], [124, 6.9]],
  // Borneo, Sumatra, Java, Sulawesi, New Guinea
  [[109, 1.5], [110, 1.7], [111.5, 2.5], [113, 3.2], [115.5, 5.3], [116.9, 7], [119.3, 5.3], [118, 4.4], [118.4, 1], [117.5, 0], [116.6, -1.5], [116, -3.5], [114.6, -4], [113, -3.2], [110.2, -2.9], [109.6, -1.2]],
  [[95.3, 5.6], [97.5, 5.2], [100.4, 2.2], [103.7, -1], [106, -3.2], [105.8, -5.8], [104.5, -5.9], [101.7, -3], [99.3, 0], [97.2, 2.5]],
  [[105.2, -6.8], [106.8, -6], [110.5, -6.9], [112.6, -6.9], [114.5, -7.7], [114.4, -8.7], [110.4, -8.1], [106.4, -7.4]],
  [[119.4, -5.5], [118.8, -2.8], [119.8, 0.5], [121, 1.2], [125, 1.5], [121.5, 0.5], [123, -1], [121.5, -2], [123, -4.5], [121, -4.8], [120.4, -3], [120.4, -5.5]],
  [[131, -1.4], [134, -0.9], [136, -1.8], [138, -1.6], [141, -2.6], [145, -4.3], [146, -5.5], [147.5, -6.2], [147.8, -8], [150, -10.3], [148, -10.2], [146.1, -8.1], [144, -7.7], [143.4, -9], [141, -9.1], [139, -8.1], [137.8, -5.2], [135, -4.3], [132.8, -4], [132, -2.9], [133.6, -2.2]],
  // Australia, Tasmania, New Zealand
  [[113.5, -22], [114.1, -26], [115, -29.5], [115, -33.6], [116, -35], [118, -35], [123.5, -33.9], [126, -32.3], [131, -31.5], [134, -32.7], [135.6, -34.8], [137.6, -33], [137.8, -35.7], [140, -37.5], [143.5, -38.8], [146.3, -39], [150, -37.5], [151.3, -33.8], [153, -31], [153.6, -28], [153, -25], [150.8, -22.5], [149, -20.5], [146.3, -18.9], [145.3, -15], [143.5, -14], [142.5, -10.7], [141.6, -13], [141.6, -16.5], [140.3, -17.7], [139, -17], [136.7, -15.9], [135.5, -14.8], [136.9, -12.2], [133, -11.4], [131, -12.2], [129.5, -14.9], [127, -14], [125, -14.5], [122.2, -17], [121, -19.6], [117, -20.7], [114.6, -21.8]],
  [[144.6, -40.7], [148.3, -40.9], [148, -43.2], [146, -43.6]],
  [[172.7, -34.4], [174.7, -36.9], [175.9, -37.5], [178.5, -37.7], [177.9, -39.3], [176.9, -39.6], [175.2, -41.6], [174.6, -41.3], [175, -39.9], [173.8, -39.2], [174.6, -38]],
  [[172.7, -40.5], [174.3, -41.7], [173, -43.8], [171.2, -44.5], [169.3, -46.6], [166.5, -46], [168.3, -44], [171.3, -41.8]],
  // Madagascar, Cuba, Hispaniola
  [[49.3, -12], [50.5, -15.4], [49.5, -17], [47.1, -24.9], [45.2, -25.5], [43.7, -23.4], [43.3, -21.8], [44.4, -19.9], [44, -17.2], [46.3, -15.8], [47.8, -13.6]],
  [[-84.9, 21.9], [-82, 23.2], [-77.5, 22], [-74.2, 20.2], [-77.7, 19.9], [-80, 21.7]],
  [[-74.4, 18.4], [-72.8, 19.9], [-70, 19.7], [-68.3, 18.6], [-71.4, 17.6]],
  // Antarctica, seen when a dot lies south of 60°S
  [[-180, -78], [-160, -78], [-150, -76], [-135, -74.5], [-120, -73.5], [-100, -73], [-80, -73], [-75, -71], [-63, -65], [-57, -63.3], [-60, -68], [-62, -72], [-61, -74.5], [-50, -77.5], [-35, -77.5], [-30, -76], [-20, -73], [-10, -71], [0, -70], [15, -69.8], [30, -69.5], [40, -69], [50, -67], [60, -67.5], [70, -68], [75, -69.5], [80, -67.5], [90, -66.5], [100, -66], [110, -66], [120, -67], [135, -66], [150, -68.5], [160, -70], [170, -71.5], [168, -77], [180, -78], [180, -90], [-180, -90]],
];
