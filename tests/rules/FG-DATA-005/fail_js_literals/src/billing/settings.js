module.exports.DB_PASSWORD = "Pr0d-Passw0rd!2024#x";
