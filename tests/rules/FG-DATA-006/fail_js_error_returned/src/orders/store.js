exports.getOrder = async (id) => ({ id });
