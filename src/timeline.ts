export interface TimedEntry<A> {
  /** Milliseconds after the clock start. */
  at: number;
  do: A;
}

/**
 * Actions at virtual times. They run, in order of time (ties in scenario order), as soon as the clock is
 * past them: when the clock jumps, and before each request while the clock runs with real time.
 */
export class Timeline<A> {
  readonly #entries: TimedEntry<A>[];
  readonly #run: (action: A) => void;
  #start = 0;
  #next = 0;

  constructor(entries: readonly TimedEntry<A>[], run: (action: A) => void) {
    // Array sort is stable: entries at the same time keep the scenario's order.
    this.#entries = [...entries].sort((a, b) => a.at - b.at);
    this.#run = run;
  }

  /** Starts again: every action pending, relative to `start`. */
  restart(start: number): void {
    this.#start = start;
    this.#next = 0;
  }

  /**
   * Starts again relative to `start`, taking the actions up to `now` as done without running them: a
   * reload that keeps state, whose past has already happened.
   */
  resumeAt(start: number, now: number): void {
    this.restart(start);
    while (this.#next < this.#entries.length && start + this.#entries[this.#next]!.at <= now) this.#next += 1;
  }

  /** Runs every pending action whose time has come. A failing action is reported and skipped. */
  sync(now: number): void {
    while (this.#next < this.#entries.length) {
      const entry = this.#entries[this.#next]!;
      if (this.#start + entry.at > now) return;
      this.#next += 1;
      try {
        this.#run(entry.do);
      } catch (error) {
        console.error('[okta-apigee-sim] Failed to run a timeline action:', entry.do, error);
      }
    }
  }
}
