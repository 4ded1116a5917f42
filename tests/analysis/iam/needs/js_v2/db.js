module.exports.table = process.env.NOTES_TABLE;
