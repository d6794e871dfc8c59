/** Indices of the `count` largest values, at least `sep` apart (fewer if the array is short). */
export function pickSlices(area: Float64Array, count: number, sep: number): number[] {
  const order = Array.from(area.keys()).sort((a, b) => area[b]! - area[a]! || a - b);
  const chosen: number[] = [];
  for (const k of order) {
    if (chosen.length >= count) break;
    if (area[k]! <= 0 && chosen.length > 0) break;
    if (chosen.every((c) => Math.abs(c - k) >= sep)) chosen.push(k);
  }
  if (chosen.length === 0) chosen.push(Math.floor(area.length / 2));
  return chosen;
}

/** Index of the largest value (the middle one when none is larger). */
export function argmax(a: Float64Array): number {
  let best = Math.floor(a.length / 2);
  for (let x = 0; x < a.length; x++) if (a[x]! > a[best]!) best = x;
  return best;
}
