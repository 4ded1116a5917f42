import got from "got";

export async function fetchPreview(target) {
  const options = { timeout: { request: 3000 } };
  const response = await got(target, options).json();
  return { title: response.title };
}
