/** The admin's signed-in browser state, written once by auth.setup.ts and reused by every test. */
export const ADMIN_STATE = '.auth/admin.json';
