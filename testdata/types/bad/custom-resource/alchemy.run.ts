// A custom resource's handler is typed through `this: Context<Output>`.
import alchemy, { Resource, type Context } from "alchemy";

interface NoteProps {
  text: string;
}

interface Note {
  text: string;
  length: number;
}

const Note = Resource("test::Note", async function (this: Context<Note>, id: string, props: NoteProps): Promise<Note> {
  const previous: string = this.output.text; // error TS2532: Object is possibly 'undefined'
  if (this.phase === "delete") {
    return this.destroy();
  }
  return this({ text: props.text, size: props.text.length }); // error TS2353: Object literal may only specify known properties, and 'size' does not exist in type 'OutputFields<Note>'
});

await alchemy("custom-resource");
const note = await Note("a", { txt: "hello" }); // error TS2561: Object literal may only specify known properties, but 'txt' does not exist in type 'NoteProps'
const n: string = note.length; // error TS2322: Type 'number' is not assignable to type 'string'
