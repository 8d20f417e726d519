/** A Fisher-Yates shuffle in place, drawing from `random` (numbers in [0, 1)). */
export function shuffler(random: () => number): <T>(items: T[]) => void {
  return (items) => {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  };
}
