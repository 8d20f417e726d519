import { fileURLToPath } from "node:url";

/**
 * The course's 35 sample widget requests (CS5260), copied from the seed
 * material into the repository so the tests run in any clone: named by
 * their millisecond timestamps, three of them deliberately bad.
 */
export const COURSE_SAMPLES_DIR = fileURLToPath(
  new URL("../fixtures/course-sample-requests/", import.meta.url),
);
