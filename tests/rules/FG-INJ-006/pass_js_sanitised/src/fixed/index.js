const axios = require("axios");
const BASE = "https://api.example.com/v1";

exports.handler = async (event) => {
  const id = event.queryStringParameters.id;
  const r = await axios.get(`https://api.example.com/items/${encodeURIComponent(id)}`);
  await axios.get(BASE + "/orders/" + id);
  const api = axios.create({ baseURL: "https://billing.example.com" });
  await api.get(`/invoices/${id}`);
  return { statusCode: 200, body: JSON.stringify(r.data) };
};
