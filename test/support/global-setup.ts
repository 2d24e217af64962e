// Vitest global setup: nothing shared yet beyond a place for store servers to start.
export default async function setup() {
  return async () => {};
}
