/**
 * The process's writes held back while another connection writes at length (an import's commit
 * or undo on its own thread): SQLite has one writer, and a write from this thread would wait for
 * the lock synchronously, holding every other request with it. Unsafe requests and the import
 * checks' batches wait here instead (`whenWritable`), asynchronously, while reads go on.
 */
let held = 0;
let waiting: (() => void)[] = [];

/** Holds writes until the returned release is called (once; later calls do nothing). */
export function holdWrites(): () => void {
  held += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held -= 1;
    if (held === 0) {
      const wake = waiting;
      waiting = [];
      for (const w of wake) w();
    }
  };
}

export const writesHeld = (): boolean => held > 0;

/** Settles at once when nothing holds writes, else when the last hold is released. */
export function whenWritable(): Promise<void> {
  return held === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve));
}
