export default {
  fetch: () => new Response("backend"),
};
