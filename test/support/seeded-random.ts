/** The mulberry32 generator the analysis simulations use: the same sequence for the same seed, so every case replays. */
export { mulberry32 as seededRandom } from '../../src/core/analysis/testing/simulate-canary.js';
