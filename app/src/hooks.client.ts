import type { HandleClientError } from '@sveltejs/kit'
import { errorMessage } from '$lib/api/handle-error'

/** An unexpected error in a load function reaches the error page with the server's message. */
export const handleError: HandleClientError = ({ error }) => {
  console.error(error)
  return { message: errorMessage(error) }
}
