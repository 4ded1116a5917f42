function merge(target, source) {
  for (const key of Object.keys(source)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    if (typeof source[key] === "object" && source[key] !== null) {
      target[key] = merge(target[key] || {}, source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

exports.handler = async (event) => {
  const prefs = merge({}, JSON.parse(event.body));
  return { statusCode: 200, body: JSON.stringify(prefs) };
};
