// The shape both list status machines share: a progress chain, detours off it, and final
// states. A list's position is its status plus the furthest progress it has reached, so a
// detour (hold, exception, cancelling) remembers where the list was and a late message can
// never take it back behind that point.

export interface StatusRules<S extends string> {
  /** The normal way forward, first to last; never final. */
  progress: readonly S[];
  /** Absorbing: nothing moves a list out of them. Reachable from every other status. */
  finals: readonly S[];
  /**
   * Detours off the chain. Each may be entered while the progress reached is at most the
   * status given (null: from anywhere), from progress or from another detour; it is left
   * for another detour, a final, or progress at least as far as the list had reached.
   */
  sides: Readonly<Partial<Record<S, S | null>>>;
}

export interface StatusStep<S extends string> {
  status: S;
  /** The furthest progress status reached, after this step. */
  reached: S;
  changed: boolean;
}

export interface StatusMachine<S extends string> {
  /**
   * Where a list goes when the provider reports `reported`. `reached` is the furthest
   * progress the list held before (from its history); by default the first progress status
   * for a detour, the status itself for progress.
   */
  next(current: S, reported: S, reached?: S): StatusStep<S>;
  canMove(from: S, to: S, reached?: S): boolean;
  isFinal(status: S): boolean;
  /** The furthest progress status among `statuses` (the first progress status when none is). */
  reachedOf(statuses: Iterable<S>): S;
  /** Position of a progress status in the chain; -1 for a detour or a final. */
  progressRank(status: S): number;
}

export function statusMachine<S extends string>(rules: StatusRules<S>): StatusMachine<S> {
  const rank = (status: S) => rules.progress.indexOf(status);
  const isFinal = (status: S) => rules.finals.includes(status);
  const sideLimit = (status: S): number | undefined => {
    if (!(status in rules.sides)) return undefined;
    const limit = rules.sides[status];
    return limit == null ? Infinity : rank(limit);
  };
  const first = rules.progress[0]!;

  const reachedOf = (statuses: Iterable<S>): S => {
    let furthest = 0;
    for (const status of statuses) furthest = Math.max(furthest, rank(status));
    return rules.progress[furthest]!;
  };

  const allowed = (current: S, reported: S, floor: number): boolean => {
    if (isFinal(current) || reported === current) return false;
    if (isFinal(reported)) return true;
    const limit = sideLimit(reported);
    if (limit !== undefined) return floor <= limit;
    const target = rank(reported);
    // Back on the chain after a detour: as far as before is enough; on the chain: strictly on.
    return target >= floor && (rank(current) < 0 || target > rank(current));
  };

  const next = (current: S, reported: S, reached: S = current): StatusStep<S> => {
    const floor = Math.max(0, rank(reached), rank(current));
    const changed = allowed(current, reported, floor);
    const status = changed ? reported : current;
    return { status, reached: rules.progress[Math.max(floor, rank(status))] ?? first, changed };
  };

  return {
    next,
    canMove: (from, to, reached) => next(from, to, reached).changed,
    isFinal,
    reachedOf,
    progressRank: rank,
  };
}
