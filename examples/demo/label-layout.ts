/** A label to place next to its marker on one lane of the timeline. */
export interface LabelInput {
  /** The marker's x (its true offset on the time axis); never moved. */
  readonly x: number;
  readonly text: string;
}

/** Where a label's box sits: its left edge, width, and the row (0 = nearest the lane line). */
export interface PlacedLabel {
  readonly x: number;
  readonly text: string;
  readonly boxLeft: number;
  readonly width: number;
  readonly row: number;
  /** The label sits left of its marker (it would have passed the right edge). */
  readonly flipped: boolean;
}

/** Font size of a label and the width of one character: labels are monospace, forced to this width. */
export const labelFont = { size: 10.5, charWidth: 6.4, rowHeight: 14 } as const;

/** The width a label is drawn at (its `textLength`), so layout and rendering agree exactly. */
export function labelWidth(text: string): number {
  return Math.ceil(text.length * labelFont.charWidth);
}

const gap = 6;

/**
 * Places a lane's labels so no two boxes intersect and none leaves [minX, maxX]: each label goes
 * right of its marker, or left of it when it would pass `maxX`, in the lowest row where it
 * touches no label already placed. Markers keep their true positions; the rows grow the lane.
 */
export function layoutLabels(
  labels: readonly LabelInput[],
  bounds: { minX: number; maxX: number },
): PlacedLabel[] {
  const rows: { left: number; right: number }[][] = [];
  const placed: PlacedLabel[] = [];
  for (const label of [...labels].sort((a, b) => a.x - b.x)) {
    const width = Math.min(labelWidth(label.text), bounds.maxX - bounds.minX);
    let boxLeft = label.x + 4;
    let flipped = false;
    if (boxLeft + width > bounds.maxX) {
      boxLeft = Math.max(bounds.minX, label.x - 4 - width);
      flipped = true;
    }
    boxLeft = Math.max(bounds.minX, Math.min(boxLeft, bounds.maxX - width));
    const right = boxLeft + width;
    let row = rows.findIndex((boxes) =>
      boxes.every((b) => right + gap <= b.left || boxLeft >= b.right + gap),
    );
    if (row < 0) {
      row = rows.length;
      rows.push([]);
    }
    rows[row]?.push({ left: boxLeft, right });
    placed.push({ x: label.x, text: label.text, boxLeft, width, row, flipped });
  }
  return placed;
}

/** Rows a lane needs for its labels (at least one). */
export function rowCount(placed: readonly PlacedLabel[]): number {
  return Math.max(1, ...placed.map((p) => p.row + 1));
}
