exports.handler = async () => ({ statusCode: 204 });
