/**
 * Ink's layout engine, Yoga (WebAssembly), made ready before the renderer loads. From source this does nothing:
 * Ink imports Yoga itself, with top-level await. The dashboard's bundle (scripts/bundle-dashboard.mjs) is
 * CommonJS, so that `az` can give it a V8 code cache, and CommonJS cannot hold a top-level await: there this
 * module is replaced by one that loads Yoga here, and the renderer's imports of Yoga read what it loaded.
 */
export async function loadLayoutEngine(): Promise<void> {
  // Nothing to do when Ink loads Yoga itself.
}
