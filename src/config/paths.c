/* placeholder, replaced by the paths module */
int paths_installed(void) { return MD_INSTALLED; }
