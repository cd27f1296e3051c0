// alchemy/fs and alchemy/random.
import alchemy from "alchemy";
import { CopyFile, File, Folder } from "alchemy/fs";
import { RandomString } from "alchemy/random";

const app = await alchemy("fs-random");

const dir = await Folder("out", { path: "out", clean: true });
const readme = await File("readme", { path: `${dir.path}/README.md`, content: "# hello\n" });
const copy = await CopyFile("backup", { src: readme.path, dest: `${dir.path}/README.bak`, overwrite: false });
const secret = await RandomString("session-key", { length: 48, encoding: "base64" });
const defaults = await RandomString("token");
const copied: boolean = copy.copied;
const value: string = secret.value.unencrypted;

console.log(copied, value.length, defaults.length, defaults.encoding, readme.content);
await app.finalize();
