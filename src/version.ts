/** keyform's version, also the provider's version and the API document's version. */
export const VERSION = '0.1.0';
