// alchemy/fs.
import alchemy from "alchemy";
import { File, Folder } from "alchemy/fs";

const app = await alchemy("fs");

const dir = await Folder("out", { path: "out", clean: true });
const readme = await File("readme", { path: `${dir.path}/README.md`, content: "# hello\n" });
// path defaults to the id.
const notes = await File("notes.txt", { content: "notes\n" });
const defaults = await Folder("cache");

console.log(readme.content, notes.path, defaults.path);
await app.finalize();
