import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";

/** Set to the folder that holds `registry.terraform.io/hashicorp/aws/...` to skip the search. */
export const MIRROR_VARIABLE = "MAILROOM_TERRAFORM_MIRROR";

const MIRROR_DIR = "registry.terraform.io";
const AWS_PROVIDER = join("hashicorp", "aws");
/** How deep below each root the mirror may sit (/opt/tf-plugins/registry.terraform.io is 2). */
const SEARCH_DEPTH = 3;

/** Terraform's executable: the first on PATH, else /usr/local/bin/terraform; undefined when absent. */
export function findTerraform(): string | undefined {
  const onPath = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
  return [...onPath, "/usr/local/bin"]
    .map((dir) => join(dir, "terraform"))
    .find((candidate) => isExecutable(candidate));
}

/**
 * The filesystem mirror of the hashicorp/aws provider, as the parent of its
 * `registry.terraform.io` folder (what `filesystem_mirror { path }` wants):
 * $MAILROOM_TERRAFORM_MIRROR when set (it must hold the provider), else the
 * first found within a few levels of /opt, /usr/share, /usr/local/share and
 * ~/.terraform.d. Undefined when there is none.
 */
export function findProviderMirror(): string | undefined {
  const configured = process.env[MIRROR_VARIABLE];
  if (configured !== undefined && configured !== "") {
    const parent = configured.endsWith(MIRROR_DIR) ? dirname(configured) : configured;
    if (!holdsAwsProvider(parent)) {
      throw new Error(
        `${MIRROR_VARIABLE}=${configured} holds no ${join(MIRROR_DIR, AWS_PROVIDER)} folder`,
      );
    }
    return parent;
  }
  const roots = ["/opt", "/usr/share", "/usr/local/share", join(homedir(), ".terraform.d")];
  for (const root of roots) {
    const found = searchMirror(root, SEARCH_DEPTH);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Breadth-first, so a shallow mirror wins, and bounded in depth. */
function searchMirror(root: string, depth: number): string | undefined {
  let level = [root];
  for (let at = 0; at < depth && level.length > 0; at++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const name of subdirectories(dir)) {
        if (name === MIRROR_DIR && holdsAwsProvider(dir)) return dir;
        next.push(join(dir, name));
      }
    }
    level = next;
  }
  return undefined;
}

function holdsAwsProvider(parent: string): boolean {
  return existsSync(join(parent, MIRROR_DIR, AWS_PROVIDER));
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
