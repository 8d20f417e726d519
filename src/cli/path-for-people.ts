import { relative } from "node:path";

/** A path relative to the current folder when it is inside it, else absolute: as a person would type it. */
export function pathForPeople(path: string): string {
  const relativePath = relative(process.cwd(), path);
  if (relativePath === "") return ".";
  return relativePath.startsWith("..") ? path : relativePath;
}
