import { fetchPreview } from "./lib/index.mjs";

export const handler = async (event) => {
  const { url } = event.queryStringParameters ?? {};
  const preview = await fetchPreview(url);
  return { statusCode: 200, body: JSON.stringify(preview) };
};
