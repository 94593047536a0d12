/** The AZ-OS version, shared by the server and its clients (kept equal to package.json by a test). */
export const VERSION = '0.1.0';
