// Seed "What is Alchemy" (002), "Phases". Changes: the import is added.
import alchemy from "alchemy";

const app = await alchemy("my-app", {
  phase: "destroy" // or pass --destroy flag
});
