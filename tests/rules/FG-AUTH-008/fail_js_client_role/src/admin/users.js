exports.deleteUser = async (name) => console.log("deleting", name);
