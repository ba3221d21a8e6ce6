// Replaced by the database-aware setup once the foundation lands.
export default function setup(): void {}
