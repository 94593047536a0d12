/** AZ_HOME layout; defined in protocol/ because clients use it to find a running server. */
export { resolveHome, type HomePaths, type HomeOptions } from '../protocol/home.js';
