/** Builds the given tsconfig project paths (and their references), one build at a time across processes. */
export function buildOnce(...projects: string[]): void;
