exports.handler = async (event) => {
  const pages = event.Records.map((r) => ({ headers: { "Content-Type": "text/html" }, body: "<p>" + r.body + "</p>" }));
  console.log(pages.length);
};
