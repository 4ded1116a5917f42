exports.items = async () => ({ statusCode: 200 });
exports.legacy = async () => ({ statusCode: 200 });
