import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, it } from "node:test";
import { FileRecycler } from "../../../src/apps/stores/file-recycler.ts";

describe("FileRecycler", () => {
  let root: string;
  let spareDir: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "mailroom-recycler-"));
    spareDir = path.join(root, ".spare");
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const inodesIn = async (dir: string): Promise<number[]> =>
    Promise.all((await readdir(dir)).map(async (name) => (await stat(path.join(dir, name))).ino));

  it("replaces a file and keeps the replaced one, unchanged, as a spare", async () => {
    const recycler = new FileRecycler(spareDir);
    const file = path.join(root, "widgets", "w1");

    recycler.replace(file, "first");
    const firstInode = (await stat(file)).ino;
    recycler.replace(file, "second");

    assert.equal(await readFile(file, "utf8"), "second");
    assert.notEqual((await stat(file)).ino, firstInode, "a new file took its place");
    const spares = await readdir(spareDir);
    assert.equal(spares.length, 1);
    assert.equal(await readFile(path.join(spareDir, spares[0]!), "utf8"), "first");
    assert.deepEqual(await inodesIn(spareDir), [firstInode]);
  });

  it("replaces a file it was told is not there, without keeping it", async () => {
    const recycler = new FileRecycler(spareDir);
    const file = path.join(root, "w1");
    await writeFile(file, "written by another program");

    recycler.replace(file, "new", false);

    assert.equal(await readFile(file, "utf8"), "new");
    assert.deepEqual(await readdir(spareDir), [], "nothing kept");
    recycler.replace(path.join(root, "w2"), "fresh", false);
    assert.equal(await readFile(path.join(root, "w2"), "utf8"), "fresh");
  });

  it("writes a spare again only once it is old enough, shorter or longer text alike", async () => {
    const recycler = new FileRecycler(spareDir, 200);
    const file = path.join(root, "w1");
    recycler.replace(file, "a rather long first text");
    const firstInode = (await stat(file)).ino;
    recycler.replace(file, "second");

    // Too young: a new file is made, and the first stays as it was.
    recycler.replace(file, "third");
    assert.notEqual((await stat(file)).ino, firstInode);
    assert.ok((await inodesIn(spareDir)).includes(firstInode));

    await sleep(250);
    recycler.replace(file, "fourth");
    assert.equal((await stat(file)).ino, firstInode, "the oldest spare is written again");
    assert.equal(await readFile(file, "utf8"), "fourth");
    assert.ok(!(await inodesIn(spareDir)).includes(firstInode));
  });

  it("removes a file by keeping it as a spare, and says when there was none", async () => {
    const recycler = new FileRecycler(spareDir);
    const file = path.join(root, "w1");
    recycler.replace(file, "text");
    const inode = (await stat(file)).ino;

    assert.equal(recycler.remove(file), true);
    assert.equal(recycler.remove(file), false);
    await assert.rejects(stat(file), { code: "ENOENT" });
    assert.deepEqual(await inodesIn(spareDir), [inode]);
  });

  it("takes over the spares of a process that has ended, and leaves a running one's alone", async () => {
    const ended = spawnSync(process.execPath, ["-e", ""]).pid;
    await mkdir(spareDir, { recursive: true });
    await writeFile(path.join(spareDir, `${ended}-1`), "left behind");
    await writeFile(path.join(spareDir, `${process.pid}-999999`), "another store's");
    const leftInode = (await stat(path.join(spareDir, `${ended}-1`))).ino;

    const recycler = new FileRecycler(spareDir);
    const file = path.join(root, "w1");
    recycler.replace(file, "new text");

    assert.equal((await stat(file)).ino, leftInode, "the ended process's spare is written again");
    assert.equal(await readFile(file, "utf8"), "new text");
    assert.deepEqual(await readdir(spareDir), [`${process.pid}-999999`]);
  });
});
