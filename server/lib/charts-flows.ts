import { CHINA_TILES, TILE_COLUMNS, TILE_ROWS } from './china-tiles.ts';
import { drawSvg } from './charts.ts';

/**
 * The two charts of where help goes: an east → west Sankey between provinces, and the province
 * tile map. Both are drawn by lib/charts.ts's drawSvg (ECharts, SVG on the server).
 */

export interface SankeySpec {
  /** Nodes by id; the label is what the chart writes (a name, never a code). */
  sources: { id: string; label: string }[];
  targets: { id: string; label: string }[];
  links: { source: string; target: string; value: number }[];
}

/**
 * A Sankey from the assisting (left) to the assisted (right) side. Node ids are kept apart per side
 * (a province may stand on both sides; a Sankey refuses cycles), and the label says the name.
 */
export function sankeySvg(spec: SankeySpec, width = 480): string {
  const label = new Map([...spec.sources, ...spec.targets].map((n) => [n.id, n.label]));
  const height = Math.max(240, 36 * Math.max(spec.sources.length, spec.targets.length) + 40);
  return drawSvg(
    {
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 8,
          top: 12,
          bottom: 12,
          nodeWidth: 14,
          nodeGap: 12,
          nodeAlign: 'justify',
          draggable: false,
          data: [...spec.sources, ...spec.targets].map((n) => ({ name: n.id })),
          links: spec.links,
          label: { fontSize: 13, formatter: (p: { name: string }) => label.get(p.name) ?? '' },
          // the left side's labels stand inside the chart, after their nodes
          levels: [
            { depth: 0, label: { position: 'right' } },
            { depth: 1, label: { position: 'left' } },
          ],
          lineStyle: { color: 'source', opacity: 0.35 },
        },
      ],
    },
    { width, height },
  );
}

export interface TileMapSpec {
  /** A tile's value and whether its name may be shown (a scoped reader sees only its own provinces named). */
  tiles: Map<string, { value: number; named: boolean }>;
  /** Classes, lowest first: a tile falls in the last class whose `from` it reaches. */
  classes: { from: number; label: string }[];
  /** The legend entry of tiles without a value. */
  noneLabel: string;
  /** Whether tiles without a value are named too (not for a reader who sees only its own region). */
  nameEmpty: boolean;
}

const CLASS_COLOURS = ['#fbe3d4', '#f3a98a', '#de6a52', '#b8232f', '#7a0f1c'];
const NONE_COLOUR = '#e6e6e6';

/**
 * Each province a square on the hand-made grid (china-tiles.ts), coloured by its class: one scatter
 * series of square symbols per class, so the legend is the colour key. No borders are drawn.
 */
export function tileMapSvg(spec: TileMapSpec, size = { width: 480, height: 440 }): string {
  const cell = Math.floor(Math.min(size.width / TILE_COLUMNS, (size.height - 70) / TILE_ROWS));
  const classOf = (v: number) => spec.classes.reduce((k, c, i) => (v >= c.from ? i : k), 0);
  const groups: { name: string; colour: string; items: unknown[] }[] = [
    ...spec.classes.map((c, i) => ({ name: c.label, colour: CLASS_COLOURS[i % CLASS_COLOURS.length]!, items: [] as unknown[] })),
    { name: spec.noneLabel, colour: NONE_COLOUR, items: [] },
  ];
  for (const t of CHINA_TILES) {
    const tile = spec.tiles.get(t.code);
    const has = tile !== undefined && tile.value > 0;
    const group = has ? groups[classOf(tile.value)]! : groups[groups.length - 1]!;
    const dark = has && classOf(tile.value) >= 2;
    group.items.push({
      value: [t.col, t.row],
      label: { show: tile ? tile.named : spec.nameEmpty, formatter: t.short, color: dark ? '#fff' : '#222' },
    });
  }
  return drawSvg(
    {
      legend: { top: 0, itemGap: 16, textStyle: { fontSize: 12 } },
      grid: { left: 0, right: 0, top: 60, bottom: 0, width: cell * TILE_COLUMNS, height: cell * TILE_ROWS },
      xAxis: { type: 'value', min: -0.5, max: TILE_COLUMNS - 0.5, show: false },
      yAxis: { type: 'value', min: -0.5, max: TILE_ROWS - 0.5, inverse: true, show: false },
      series: groups.map((g) => ({
        type: 'scatter',
        name: g.name,
        symbol: 'rect',
        symbolSize: cell - 4,
        itemStyle: { color: g.colour, opacity: 1 },
        label: { position: 'inside', fontSize: 11 },
        data: g.items,
      })),
    },
    size,
  );
}
