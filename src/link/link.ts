/** What a link-layer decoder hands on: the ethertype of its payload and where it starts. */
export type LinkResult = { etherType: number; offset: number } | undefined;
