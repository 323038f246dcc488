/** Countries of the simulation with the coordinates of their capital (for travel distances). */
export const COUNTRIES: Readonly<Record<string, { readonly lat: number; readonly lon: number }>> = {
  US: { lat: 38.9, lon: -77.04 },
  CA: { lat: 45.42, lon: -75.7 },
  MX: { lat: 19.43, lon: -99.13 },
  BR: { lat: -15.79, lon: -47.88 },
  GB: { lat: 51.51, lon: -0.13 },
  FR: { lat: 48.86, lon: 2.35 },
  DE: { lat: 52.52, lon: 13.4 },
  ES: { lat: 40.42, lon: -3.7 },
  IT: { lat: 41.9, lon: 12.5 },
  NL: { lat: 52.37, lon: 4.9 },
  NG: { lat: 9.08, lon: 7.5 },
  ZA: { lat: -25.75, lon: 28.19 },
  IN: { lat: 28.61, lon: 77.21 },
  SG: { lat: 1.35, lon: 103.82 },
  JP: { lat: 35.68, lon: 139.69 },
  AU: { lat: -35.28, lon: 149.13 },
};

/** Great-circle distance between two countries' capitals, in km (0 for the same country). */
export function distanceKm(from: string, to: string): number {
  if (from === to) return 0;
  const a = COUNTRIES[from];
  const b = COUNTRIES[to];
  if (!a || !b)
    throw new Error(`unknown country '${!a ? from : to}'; known: ${Object.keys(COUNTRIES).join(', ')}`);
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
