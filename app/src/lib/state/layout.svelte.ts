/** Shell state shared by the top bar, the drawer and the search. */
class LayoutState {
  #drawerOpen = $state(false)
  #searchFocusRequests = $state(0)

  get drawerOpen(): boolean {
    return this.#drawerOpen
  }

  set drawerOpen(value: boolean) {
    this.#drawerOpen = value
  }

  /** Incremented to ask the global search to take the focus (shortcut, mobile button). */
  get searchFocusRequests(): number {
    return this.#searchFocusRequests
  }

  focusSearch(): void {
    this.#searchFocusRequests++
  }
}

export const layout = new LayoutState()
