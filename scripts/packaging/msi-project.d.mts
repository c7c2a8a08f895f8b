// Types of msi-project.mjs (the electron-builder hook is plain JavaScript, which electron-builder loads as is).
export declare const RUN_VALUE_NAME: string
export declare const LOGIN_ARG: string
export declare const RUN_KEY: string
export declare const COMPONENT_ID: string
export declare const COMPONENT_GUID: string
export declare function runCommand(exeName: string): string
export declare function addRunAtLogin(wxs: string): string
export declare function msiProjectCreated(projectFile: string): Promise<void>
